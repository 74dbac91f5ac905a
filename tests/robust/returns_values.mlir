// Functions that return values: a scalar (a dot product through iter_args) and a memref
// (a freshly allocated copy), next to one that returns nothing.
module {
  func.func @dot_returns(%x: memref<13xf64>, %y: memref<13xf64>) -> f64 {
    %cst = arith.constant 0.000000e+00 : f64
    %r = affine.for %i = 0 to 13 iter_args(%acc = %cst) -> (f64) {
      %0 = affine.load %x[%i] : memref<13xf64>
      %1 = affine.load %y[%i] : memref<13xf64>
      %2 = arith.mulf %0, %1 : f64
      %3 = arith.addf %acc, %2 : f64
      affine.yield %3 : f64
    }
    return %r : f64
  }
  func.func @copy_returns(%x: memref<13xf64>) -> memref<13xf64> {
    %out = memref.alloc() : memref<13xf64>
    affine.for %i = 0 to 13 {
      %0 = affine.load %x[%i] : memref<13xf64>
      affine.store %0, %out[%i] : memref<13xf64>
    }
    return %out : memref<13xf64>
  }
  func.func @scale_void(%x: memref<13xf64>, %y: memref<13xf64>) {
    %c2 = arith.constant 2.000000e+00 : f64
    affine.for %i = 0 to 13 {
      %0 = affine.load %x[%i] : memref<13xf64>
      %1 = arith.mulf %0, %c2 : f64
      affine.store %1, %y[%i] : memref<13xf64>
    }
    return
  }
}
