// x = max(x, 0) on a 3x3x3 double tensor, in place (ReLU via fmax).
module {
  func.func @f_relu_3d(%arg0: memref<3x3x3xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg1 = 0 to 3 {
      affine.for %arg2 = 0 to 3 {
        affine.for %arg3 = 0 to 3 {
          %0 = affine.load %arg0[%arg1, %arg2, %arg3] : memref<3x3x3xf64>
          %1 = arith.maximumf %0, %cst : f64
          affine.store %1, %arg0[%arg1, %arg2, %arg3] : memref<3x3x3xf64>
        }
      }
    }
    return
  }
}
