// r[i] = sum_j A[i][j] and c[j] = sum_i A[i][j] (two outputs from one nest); static 12x5 f64,
// accumulated directly in the output arrays.
module {
  func.func @c_row_col_sums(%arg0: memref<12x5xf64>, %arg1: memref<12xf64>, %arg2: memref<5xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 5 {
      affine.store %cst, %arg2[%arg3] : memref<5xf64>
    }
    affine.for %arg3 = 0 to 12 {
      affine.store %cst, %arg1[%arg3] : memref<12xf64>
      affine.for %arg4 = 0 to 5 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<12x5xf64>
        %1 = affine.load %arg1[%arg3] : memref<12xf64>
        %2 = arith.addf %1, %0 : f64
        affine.store %2, %arg1[%arg3] : memref<12xf64>
        %3 = affine.load %arg2[%arg4] : memref<5xf64>
        %4 = arith.addf %3, %0 : f64
        affine.store %4, %arg2[%arg4] : memref<5xf64>
      }
    }
    return
  }
}
