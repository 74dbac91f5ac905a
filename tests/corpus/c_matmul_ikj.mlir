// C[i][j] = sum_k A[i][k] * B[k][j]; static 5x12 * 12x19 f64, C zeroed first, then i-k-j order
// accumulating directly in C.
module {
  func.func @c_matmul_ikj(%arg0: memref<5x12xf64>, %arg1: memref<12x19xf64>, %arg2: memref<5x19xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 19 {
        affine.store %cst, %arg2[%arg3, %arg4] : memref<5x19xf64>
      }
    }
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 12 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<5x12xf64>
        affine.for %arg5 = 0 to 19 {
          %1 = affine.load %arg1[%arg4, %arg5] : memref<12x19xf64>
          %2 = arith.mulf %0, %1 : f64
          %3 = affine.load %arg2[%arg3, %arg5] : memref<5x19xf64>
          %4 = arith.addf %3, %2 : f64
          affine.store %4, %arg2[%arg3, %arg5] : memref<5x19xf64>
        }
      }
    }
    return
  }
}
