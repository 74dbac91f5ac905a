// x[i] = x[i] * sigmoid(x[i]) = x[i] / (1 + exp(-x[i])) for 12 floats, in place (swish/silu).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_silu(%arg0: memref<12xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    affine.for %arg1 = 0 to 12 {
      %0 = affine.load %arg0[%arg1] : memref<12xf32>
      %1 = arith.negf %0 : f32
      %2 = math.exp %1 : f32
      %3 = arith.addf %2, %cst : f32
      %4 = arith.divf %cst, %3 : f32
      %5 = arith.mulf %0, %4 : f32
      affine.store %5, %arg0[%arg1] : memref<12xf32>
    }
    return
  }
}
