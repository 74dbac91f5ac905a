// One leapfrog step of the 1-D wave equation: N[i] = 2*U[i] - P[i] + 0.25*(U[i-1] - 2*U[i]
// + U[i+1]) for 1 <= i < 16 (N[0], N[16] kept); static f64, three arrays.
module {
  func.func @c_wave_1d(%arg0: memref<17xf64>, %arg1: memref<17xf64>, %arg2: memref<17xf64>) {
    %two = arith.constant 2.000000e+00 : f64
    %c2 = arith.constant 2.500000e-01 : f64
    affine.for %i = 1 to 16 {
      %u = affine.load %arg0[%i] : memref<17xf64>
      %p = affine.load %arg1[%i] : memref<17xf64>
      %l = affine.load %arg0[%i - 1] : memref<17xf64>
      %r = affine.load %arg0[%i + 1] : memref<17xf64>
      %0 = arith.mulf %two, %u : f64
      %1 = arith.subf %0, %p : f64
      %2 = arith.addf %l, %r : f64
      %3 = arith.subf %2, %0 : f64
      %4 = arith.mulf %c2, %3 : f64
      %5 = arith.addf %1, %4 : f64
      affine.store %5, %arg2[%i] : memref<17xf64>
    }
    return
  }
}
