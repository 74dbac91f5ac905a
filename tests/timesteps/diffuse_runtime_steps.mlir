// Damped 2-D diffusion for a step count given at run time (an i32 argument cast to index,
// as Polygeist emits for `for (t = 0; t < steps; t++)`), ping-pong between two grids of
// 34 x 21 doubles; an unused constant stays in the body.
module {
  func.func @diffuse_runtime_steps(%steps: i32, %a: memref<34x21xf64>, %b: memref<34x21xf64>) {
    %half = arith.constant 5.000000e-01 : f64
    %eighth = arith.constant 1.250000e-01 : f64
    %unused = arith.constant 3.000000e+00 : f64
    %n = arith.index_cast %steps : i32 to index
    affine.for %t = 0 to %n {
      affine.for %i = 1 to 33 {
        affine.for %j = 1 to 20 {
          %c = affine.load %a[%i, %j] : memref<34x21xf64>
          %u = affine.load %a[%i - 1, %j] : memref<34x21xf64>
          %d = affine.load %a[%i + 1, %j] : memref<34x21xf64>
          %l = affine.load %a[%i, %j - 1] : memref<34x21xf64>
          %r = affine.load %a[%i, %j + 1] : memref<34x21xf64>
          %s1 = arith.addf %u, %d : f64
          %s2 = arith.addf %l, %r : f64
          %s3 = arith.addf %s1, %s2 : f64
          %w = arith.mulf %eighth, %s3 : f64
          %k = arith.mulf %half, %c : f64
          %v = arith.addf %k, %w : f64
          affine.store %v, %b[%i, %j] : memref<34x21xf64>
        }
      }
      affine.for %i = 1 to 33 {
        affine.for %j = 1 to 20 {
          %c = affine.load %b[%i, %j] : memref<34x21xf64>
          %u = affine.load %b[%i - 1, %j] : memref<34x21xf64>
          %d = affine.load %b[%i + 1, %j] : memref<34x21xf64>
          %l = affine.load %b[%i, %j - 1] : memref<34x21xf64>
          %r = affine.load %b[%i, %j + 1] : memref<34x21xf64>
          %s1 = arith.addf %u, %d : f64
          %s2 = arith.addf %l, %r : f64
          %s3 = arith.addf %s1, %s2 : f64
          %w = arith.mulf %eighth, %s3 : f64
          %k = arith.mulf %half, %c : f64
          %v = arith.addf %k, %w : f64
          affine.store %v, %a[%i, %j] : memref<34x21xf64>
        }
      }
    }
    return
  }
}
