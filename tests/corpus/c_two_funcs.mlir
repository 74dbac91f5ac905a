// Two functions in one file:
//   c_scale_rows:   B[i][j] = d[i] * A[i][j]                 (static 9x7 f64)
//   c_col_scaled_sum: s[j] = alpha * sum_i A[i][j]            (static 9x7 f64, iter_args)
module {
  func.func @c_scale_rows(%arg0: memref<9x7xf64>, %arg1: memref<9xf64>, %arg2: memref<9x7xf64>) {
    affine.for %arg3 = 0 to 9 {
      %0 = affine.load %arg1[%arg3] : memref<9xf64>
      affine.for %arg4 = 0 to 7 {
        %1 = affine.load %arg0[%arg3, %arg4] : memref<9x7xf64>
        %2 = arith.mulf %0, %1 : f64
        affine.store %2, %arg2[%arg3, %arg4] : memref<9x7xf64>
      }
    }
    return
  }
  func.func @c_col_scaled_sum(%arg0: f64, %arg1: memref<9x7xf64>, %arg2: memref<7xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 7 {
      %0 = affine.for %arg4 = 0 to 9 iter_args(%arg5 = %cst) -> (f64) {
        %2 = affine.load %arg1[%arg4, %arg3] : memref<9x7xf64>
        %3 = arith.addf %arg5, %2 : f64
        affine.yield %3 : f64
      }
      %1 = arith.mulf %arg0, %0 : f64
      affine.store %1, %arg2[%arg3] : memref<7xf64>
    }
    return
  }
}
