// y[i] = x[i] > 0 ? x[i] : 0 (rectifier, the C ternary as Polygeist emits it: cmpf + select);
// static 17 f32.
module {
  func.func @c_relu_f32(%arg0: memref<17xf32>, %arg1: memref<17xf32>) {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg2 = 0 to 17 {
      %0 = affine.load %arg0[%arg2] : memref<17xf32>
      %1 = arith.cmpf ogt, %0, %cst : f32
      %2 = arith.select %1, %0, %cst : f32
      affine.store %2, %arg1[%arg2] : memref<17xf32>
    }
    return
  }
}
