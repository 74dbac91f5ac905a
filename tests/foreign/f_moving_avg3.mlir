// y[i] = (x[i] + x[i+1] + x[i+2]) / 3 for i < 10 (moving average of width 3 over 12 samples).
module {
  func.func @f_moving_avg3(%arg0: memref<12xf64>, %arg1: memref<10xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 3.000000e+00 : f64
    affine.for %arg2 = 0 to 10 {
      %0 = affine.load %arg0[%arg2] : memref<12xf64>
      %1 = affine.load %arg0[%arg2 + 1] : memref<12xf64>
      %2 = arith.addf %0, %1 : f64
      %3 = affine.load %arg0[%arg2 + 2] : memref<12xf64>
      %4 = arith.addf %2, %3 : f64
      %5 = arith.divf %4, %cst : f64
      affine.store %5, %arg1[%arg2] : memref<10xf64>
    }
    return
  }
}
