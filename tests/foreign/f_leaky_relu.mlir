// y = x > 0 ? x : 0.01 x for 17 floats (leaky ReLU, a C ternary).
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_leaky_relu(%arg0: memref<17xf32>, %arg1: memref<17xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    %cst_0 = arith.constant 0.00999999977 : f32
    affine.for %arg2 = 0 to 17 {
      %0 = affine.load %arg0[%arg2] : memref<17xf32>
      %1 = arith.cmpf ogt, %0, %cst : f32
      %2 = arith.mulf %0, %cst_0 : f32
      %3 = arith.select %1, %0, %2 : f32
      affine.store %3, %arg1[%arg2] : memref<17xf32>
    }
    return
  }
}
