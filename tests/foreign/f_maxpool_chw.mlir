// out[c][i][j] = max_{p,q<2} in[c][2i+p][2j+q] (2x2 max pooling, stride 2, per channel of a
// 3-channel 4x6 double feature map -> 3x2x3); the maximum starts at -INFINITY, fmax.
module {
  func.func @f_maxpool_chw(%arg0: memref<3x4x6xf64>, %arg1: memref<3x2x3xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0xFFF0000000000000 : f64
    affine.for %arg2 = 0 to 3 {
      affine.for %arg3 = 0 to 2 {
        affine.for %arg4 = 0 to 3 {
          affine.store %cst, %arg1[%arg2, %arg3, %arg4] : memref<3x2x3xf64>
          affine.for %arg5 = 0 to 2 {
            affine.for %arg6 = 0 to 2 {
              %0 = affine.load %arg0[%arg2, %arg3 * 2 + %arg5, %arg4 * 2 + %arg6] : memref<3x4x6xf64>
              %1 = affine.load %arg1[%arg2, %arg3, %arg4] : memref<3x2x3xf64>
              %2 = arith.maxnumf %1, %0 : f64
              affine.store %2, %arg1[%arg2, %arg3, %arg4] : memref<3x2x3xf64>
            }
          }
        }
      }
    }
    return
  }
}
