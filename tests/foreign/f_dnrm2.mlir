// returns sqrt(sum_i x[i]^2) over 9 elements (Euclidean norm, BLAS dnrm2 without scaling):
// a 1-element alloca accumulates, its square root is returned as f64.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_dnrm2(%arg0: i32, %arg1: memref<9xf64>) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<1xf64>
    affine.store %cst, %alloca[0] : memref<1xf64>
    affine.for %arg2 = 0 to 9 {
      %2 = affine.load %arg1[%arg2] : memref<9xf64>
      %3 = arith.mulf %2, %2 : f64
      %4 = affine.load %alloca[0] : memref<1xf64>
      %5 = arith.addf %4, %3 : f64
      affine.store %5, %alloca[0] : memref<1xf64>
    }
    %0 = affine.load %alloca[0] : memref<1xf64>
    %1 = math.sqrt %0 : f64
    return %1 : f64
  }
}
