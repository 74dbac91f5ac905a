// returns sum_i |x[i]| over 7 elements (BLAS dasum), the sum carried in iter_args and
// returned as f64.
module {
  func.func @f_dasum(%arg0: memref<7xf64>) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0 = arith.constant 0 : index
    %cst = arith.constant 0.000000e+00 : f64
    %0 = affine.for %arg1 = 0 to 7 iter_args(%arg2 = %cst) -> (f64) {
      %1 = affine.load %arg0[%arg1] : memref<7xf64>
      %2 = math.absf %1 : f64
      %3 = arith.addf %arg2, %2 : f64
      affine.yield %3 : f64
    }
    return %0 : f64
  }
}
