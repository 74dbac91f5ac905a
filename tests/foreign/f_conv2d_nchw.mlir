// out[o][i][j] = sum_{c<2,p<3,q<3} in[c][i+p][j+q] * w[o][c][p][q] (multi-channel convolution,
// NCHW: 2 input channels of 6x5 floats, 3 filters -> 3x4x3); out zeroed inside the nest.
module {
  func.func @f_conv2d_nchw(%arg0: memref<2x6x5xf32>, %arg1: memref<3x2x3x3xf32>, %arg2: memref<3x4x3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 3 {
          affine.store %cst, %arg2[%arg3, %arg4, %arg5] : memref<3x4x3xf32>
          affine.for %arg6 = 0 to 2 {
            affine.for %arg7 = 0 to 3 {
              affine.for %arg8 = 0 to 3 {
                %0 = affine.load %arg0[%arg6, %arg4 + %arg7, %arg5 + %arg8] : memref<2x6x5xf32>
                %1 = affine.load %arg1[%arg3, %arg6, %arg7, %arg8] : memref<3x2x3x3xf32>
                %2 = arith.mulf %0, %1 : f32
                %3 = affine.load %arg2[%arg3, %arg4, %arg5] : memref<3x4x3xf32>
                %4 = arith.addf %3, %2 : f32
                affine.store %4, %arg2[%arg3, %arg4, %arg5] : memref<3x4x3xf32>
              }
            }
          }
        }
      }
    }
    return
  }
}
