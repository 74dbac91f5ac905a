// out[c][i][j] = sum_{p,q<3} in[c][i+p][j+q] * w[c][p][q] (depthwise 3x3 convolution, NCHW,
// 3 channels of 6x6 floats -> 3x4x4); out zeroed by its own nest first.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_depthwise_conv(%arg0: memref<3x6x6xf32>, %arg1: memref<3x3x3xf32>, %arg2: memref<3x4x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 4 {
          affine.store %cst, %arg2[%arg3, %arg4, %arg5] : memref<3x4x4xf32>
        }
      }
    }
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 4 {
          affine.for %arg6 = 0 to 3 {
            affine.for %arg7 = 0 to 3 {
              %0 = affine.load %arg0[%arg3, %arg4 + %arg6, %arg5 + %arg7] : memref<3x6x6xf32>
              %1 = affine.load %arg1[%arg3, %arg6, %arg7] : memref<3x3x3xf32>
              %2 = arith.mulf %0, %1 : f32
              %3 = affine.load %arg2[%arg3, %arg4, %arg5] : memref<3x4x4xf32>
              %4 = arith.addf %3, %2 : f32
              affine.store %4, %arg2[%arg3, %arg4, %arg5] : memref<3x4x4xf32>
            }
          }
        }
      }
    }
    return
  }
}
