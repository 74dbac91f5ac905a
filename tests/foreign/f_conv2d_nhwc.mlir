// out[i][j][o] = out[i][j][o] + sum_{p,q<2,c<2} in[i+p][j+q][c] * w[p][q][c][o] (convolution,
// NHWC/HWIO: a 5x5 float image with 2 channels, 2x2 kernels, 3 outputs -> 4x4x3, accumulated).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_conv2d_nhwc(%arg0: memref<5x5x2xf32>, %arg1: memref<2x2x2x3xf32>, %arg2: memref<4x4x3xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 4 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 2 {
          affine.for %arg6 = 0 to 2 {
            affine.for %arg7 = 0 to 2 {
              affine.for %arg8 = 0 to 3 {
                %0 = affine.load %arg0[%arg3 + %arg5, %arg4 + %arg6, %arg7] : memref<5x5x2xf32>
                %1 = affine.load %arg1[%arg5, %arg6, %arg7, %arg8] : memref<2x2x2x3xf32>
                %2 = arith.mulf %0, %1 : f32
                %3 = affine.load %arg2[%arg3, %arg4, %arg8] : memref<4x4x3xf32>
                %4 = arith.addf %3, %2 : f32
                affine.store %4, %arg2[%arg3, %arg4, %arg8] : memref<4x4x3xf32>
              }
            }
          }
        }
      }
    }
    return
  }
}
