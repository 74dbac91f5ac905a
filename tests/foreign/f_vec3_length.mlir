// returns sqrt(sum_i v[i]^2) for a double vec3 (its length): a 0-d alloca accumulates in a
// loop, its square root is returned as f64.
module {
  func.func @f_vec3_length(%arg0: memref<3xf64>) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<f64>
    affine.store %cst, %alloca[] : memref<f64>
    affine.for %arg1 = 0 to 3 {
      %2 = affine.load %arg0[%arg1] : memref<3xf64>
      %3 = affine.load %arg0[%arg1] : memref<3xf64>
      %4 = arith.mulf %2, %3 : f64
      %5 = affine.load %alloca[] : memref<f64>
      %6 = arith.addf %5, %4 : f64
      affine.store %6, %alloca[] : memref<f64>
    }
    %0 = affine.load %alloca[] : memref<f64>
    %1 = math.sqrt %0 : f64
    return %1 : f64
  }
}
