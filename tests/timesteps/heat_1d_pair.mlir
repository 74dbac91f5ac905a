// Explicit 1-D heat equation with a fixed source term, two half steps per step, 3 steps,
// 1 x 1 border; 64 points (smallest case: a 1-D buffer's row is one element).
module {
  func.func @heat_1d_pair(%u: memref<64xf64>, %v: memref<64xf64>, %src: memref<64xf64>) {
    %k = arith.constant 0.25 : f64
    affine.for %t = 0 to 3 {
      affine.for %i = 1 to 63 {
        %l = affine.load %u[%i - 1] : memref<64xf64>
        %c = affine.load %u[%i] : memref<64xf64>
        %r = affine.load %u[%i + 1] : memref<64xf64>
        %s = affine.load %src[%i] : memref<64xf64>
        %lr = arith.addf %l, %r : f64
        %two = arith.addf %c, %c : f64
        %lap = arith.subf %lr, %two : f64
        %kl = arith.mulf %k, %lap : f64
        %n = arith.addf %c, %kl : f64
        %n2 = arith.addf %n, %s : f64
        affine.store %n2, %v[%i] : memref<64xf64>
      }
      affine.for %i = 1 to 63 {
        %l = affine.load %v[%i - 1] : memref<64xf64>
        %c = affine.load %v[%i] : memref<64xf64>
        %r = affine.load %v[%i + 1] : memref<64xf64>
        %lr = arith.addf %l, %r : f64
        %two = arith.addf %c, %c : f64
        %lap = arith.subf %lr, %two : f64
        %kl = arith.mulf %k, %lap : f64
        %n = arith.addf %c, %kl : f64
        affine.store %n, %u[%i] : memref<64xf64>
      }
    }
    return
  }
}
