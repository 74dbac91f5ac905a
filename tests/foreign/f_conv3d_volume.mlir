// out[i][j][l] += sum_{p,q,r<2} v[i+p][j+q][l+r] * k[p][q][r] (3-D correlation of a 4x5x3
// float volume with a 2x2x2 kernel, accumulated into a 3x4x2 result).
module {
  func.func @f_conv3d_volume(%arg0: memref<4x5x3xf32>, %arg1: memref<2x2x2xf32>, %arg2: memref<3x4x2xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        affine.for %arg5 = 0 to 2 {
          affine.for %arg6 = 0 to 2 {
            affine.for %arg7 = 0 to 2 {
              affine.for %arg8 = 0 to 2 {
                %0 = affine.load %arg0[%arg3 + %arg6, %arg4 + %arg7, %arg5 + %arg8] : memref<4x5x3xf32>
                %1 = affine.load %arg1[%arg6, %arg7, %arg8] : memref<2x2x2xf32>
                %2 = arith.mulf %0, %1 : f32
                %3 = affine.load %arg2[%arg3, %arg4, %arg5] : memref<3x4x2xf32>
                %4 = arith.addf %3, %2 : f32
                affine.store %4, %arg2[%arg3, %arg4, %arg5] : memref<3x4x2xf32>
              }
            }
          }
        }
      }
    }
    return
  }
}
