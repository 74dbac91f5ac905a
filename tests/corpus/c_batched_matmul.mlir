// C[b][i][j] = sum_k A[b][i][k] * B[b][k][j] (batched matmul over 3-D arrays); static f64,
// batch 5, A 5x7x9, B 5x9x6, C 5x7x6; C zeroed, then accumulated in place, b-i-k-j order.
module {
  func.func @c_batched_matmul(%arg0: memref<5x7x9xf64>, %arg1: memref<5x9x6xf64>, %arg2: memref<5x7x6xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 7 {
        affine.for %arg5 = 0 to 6 {
          affine.store %cst, %arg2[%arg3, %arg4, %arg5] : memref<5x7x6xf64>
        }
        affine.for %arg5 = 0 to 9 {
          affine.for %arg6 = 0 to 6 {
            %0 = affine.load %arg0[%arg3, %arg4, %arg5] : memref<5x7x9xf64>
            %1 = affine.load %arg1[%arg3, %arg5, %arg6] : memref<5x9x6xf64>
            %2 = arith.mulf %0, %1 : f64
            %3 = affine.load %arg2[%arg3, %arg4, %arg6] : memref<5x7x6xf64>
            %4 = arith.addf %3, %2 : f64
            affine.store %4, %arg2[%arg3, %arg4, %arg6] : memref<5x7x6xf64>
          }
        }
      }
    }
    return
  }
}
