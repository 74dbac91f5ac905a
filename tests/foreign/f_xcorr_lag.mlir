// r[0] = sum_{i<10} x[i] * y[i + 2] (cross-correlation of two 12-sample signals at lag 2).
module {
  func.func @f_xcorr_lag(%arg0: memref<12xf64>, %arg1: memref<12xf64>, %arg2: memref<1xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %c2 = arith.constant 2 : index
    %0 = affine.for %arg3 = 0 to 10 iter_args(%arg4 = %cst) -> (f64) {
      %1 = affine.load %arg0[%arg3] : memref<12xf64>
      %2 = affine.load %arg1[%arg3 + 2] : memref<12xf64>
      %3 = arith.mulf %1, %2 : f64
      %4 = arith.addf %arg4, %3 : f64
      affine.yield %4 : f64
    }
    affine.store %0, %arg2[0] : memref<1xf64>
    return
  }
}
