// y[i] = 1 / (1 + exp(-x[i])) for 10 doubles (logistic sigmoid).
module {
  func.func @f_sigmoid(%arg0: memref<10xf64>, %arg1: memref<10xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f64
    affine.for %arg2 = 0 to 10 {
      %0 = affine.load %arg0[%arg2] : memref<10xf64>
      %1 = arith.negf %0 : f64
      %2 = math.exp %1 : f64
      %3 = arith.addf %2, %cst : f64
      %4 = arith.divf %cst, %3 : f64
      affine.store %4, %arg1[%arg2] : memref<10xf64>
    }
    return
  }
}
