// returns (1/10) sum_i (a[i] - b[i])^2 over 10 samples (mean squared error), as the
// function's own 1-element alloca (-> memref<1xf64>).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_mse(%arg0: memref<10xf64>, %arg1: memref<10xf64>) -> memref<1xf64> attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %cst_0 = arith.constant 1.000000e+01 : f64
    %alloca = memref.alloca() : memref<1xf64>
    affine.store %cst, %alloca[0] : memref<1xf64>
    affine.for %arg2 = 0 to 10 {
      %2 = affine.load %arg0[%arg2] : memref<10xf64>
      %3 = affine.load %arg1[%arg2] : memref<10xf64>
      %4 = arith.subf %2, %3 : f64
      %5 = arith.mulf %4, %4 : f64
      %6 = affine.load %alloca[0] : memref<1xf64>
      %7 = arith.addf %6, %5 : f64
      affine.store %7, %alloca[0] : memref<1xf64>
    }
    %0 = affine.load %alloca[0] : memref<1xf64>
    %1 = arith.divf %0, %cst_0 : f64
    affine.store %1, %alloca[0] : memref<1xf64>
    return %alloca : memref<1xf64>
  }
}
