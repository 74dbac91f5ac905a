// X[i] = X[i] + 0.5 for 5 floats (a constant bias, in place).
module {
  func.func @f_add_const(%arg0: memref<5xf32>) {
    %cst = arith.constant 5.000000e-01 : f32
    affine.for %arg1 = 0 to 5 {
      %0 = affine.load %arg0[%arg1] : memref<5xf32>
      %1 = arith.addf %0, %cst : f32
      affine.store %1, %arg0[%arg1] : memref<5xf32>
    }
    return
  }
}
