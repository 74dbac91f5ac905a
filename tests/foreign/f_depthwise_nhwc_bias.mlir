// out[i][j][c] = b[c] + sum_{p,q<3} in[i+p][j+q][c] * w[p][q][c] (depthwise 3x3 convolution,
// NHWC without the batch, a 5x6 float map with 2 channels -> 3x4x2); out starts at the bias.
module {
  func.func @f_depthwise_nhwc_bias(%arg0: memref<5x6x2xf32>, %arg1: memref<3x3x2xf32>, %arg2: memref<2xf32>, %arg3: memref<3x4x2xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c1 = arith.constant 1 : index
    affine.for %arg4 = 0 to 3 {
      affine.for %arg5 = 0 to 4 {
        affine.for %arg6 = 0 to 2 {
          %0 = affine.load %arg2[%arg6] : memref<2xf32>
          affine.store %0, %arg3[%arg4, %arg5, %arg6] : memref<3x4x2xf32>
        }
      }
    }
    affine.for %arg4 = 0 to 3 {
      affine.for %arg5 = 0 to 4 {
        affine.for %arg6 = 0 to 3 {
          affine.for %arg7 = 0 to 3 {
            affine.for %arg8 = 0 to 2 {
              %0 = affine.load %arg0[%arg4 + %arg6, %arg5 + %arg7, %arg8] : memref<5x6x2xf32>
              %1 = affine.load %arg1[%arg6, %arg7, %arg8] : memref<3x3x2xf32>
              %2 = arith.mulf %0, %1 : f32
              %3 = affine.load %arg3[%arg4, %arg5, %arg8] : memref<3x4x2xf32>
              %4 = arith.addf %3, %2 : f32
              affine.store %4, %arg3[%arg4, %arg5, %arg8] : memref<3x4x2xf32>
            }
          }
        }
      }
    }
    return
  }
}
