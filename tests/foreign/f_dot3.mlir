// s = sum_i x[i] * y[i] over 3 elements; the function returns its 0-d accumulator alloca
// itself (-> memref<f64>).
module {
  func.func @f_dot3(%arg0: memref<3xf64>, %arg1: memref<3xf64>) -> memref<f64> {
    %cst = arith.constant 0.000000e+00 : f64
    %alloca = memref.alloca() : memref<f64>
    affine.store %cst, %alloca[] : memref<f64>
    affine.for %arg2 = 0 to 3 {
      %0 = affine.load %alloca[] : memref<f64>
      %1 = affine.load %arg0[%arg2] : memref<3xf64>
      %2 = affine.load %arg1[%arg2] : memref<3xf64>
      %3 = arith.mulf %1, %2 : f64
      %4 = arith.addf %0, %3 : f64
      affine.store %4, %alloca[] : memref<f64>
    }
    return %alloca : memref<f64>
  }
}
