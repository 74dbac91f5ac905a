// y[j] = sum_i A[i][j] * x[i]  (y = A^T x); static 11x7 f64, j outer, iter_args accumulator.
module {
  func.func @c_matvec_trans(%arg0: memref<11x7xf64>, %arg1: memref<11xf64>, %arg2: memref<7xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 7 {
      %0 = affine.for %arg4 = 0 to 11 iter_args(%arg5 = %cst) -> (f64) {
        %1 = affine.load %arg0[%arg4, %arg3] : memref<11x7xf64>
        %2 = affine.load %arg1[%arg4] : memref<11xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = arith.addf %arg5, %3 : f64
        affine.yield %4 : f64
      }
      affine.store %0, %arg2[%arg3] : memref<7xf64>
    }
    return
  }
}
