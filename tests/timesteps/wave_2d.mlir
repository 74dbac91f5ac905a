// Second-order wave equation, leapfrog in time over three buffers: next = 2 u - prev +
// c (5-point Laplacian of u), then prev := u, u := next; 29 x 31 grid, 5 steps.
module {
  func.func @wave_2d(%u: memref<29x31xf64>, %prev: memref<29x31xf64>, %next: memref<29x31xf64>) {
    %two = arith.constant 2.0 : f64
    %four = arith.constant 4.0 : f64
    %c = arith.constant 0.125 : f64
    affine.for %t = 0 to 5 {
      affine.for %i = 1 to 28 {
        affine.for %j = 1 to 30 {
          %uc = affine.load %u[%i, %j] : memref<29x31xf64>
          %un = affine.load %u[%i - 1, %j] : memref<29x31xf64>
          %us = affine.load %u[%i + 1, %j] : memref<29x31xf64>
          %uw = affine.load %u[%i, %j - 1] : memref<29x31xf64>
          %ue = affine.load %u[%i, %j + 1] : memref<29x31xf64>
          %p = affine.load %prev[%i, %j] : memref<29x31xf64>
          %s1 = arith.addf %un, %us : f64
          %s2 = arith.addf %s1, %uw : f64
          %s3 = arith.addf %s2, %ue : f64
          %c4 = arith.mulf %four, %uc : f64
          %lap = arith.subf %s3, %c4 : f64
          %d = arith.mulf %c, %lap : f64
          %twice = arith.mulf %two, %uc : f64
          %lead = arith.subf %twice, %p : f64
          %n = arith.addf %lead, %d : f64
          affine.store %n, %next[%i, %j] : memref<29x31xf64>
        }
      }
      affine.for %i = 1 to 28 {
        affine.for %j = 1 to 30 {
          %v = affine.load %u[%i, %j] : memref<29x31xf64>
          affine.store %v, %prev[%i, %j] : memref<29x31xf64>
        }
      }
      affine.for %i = 1 to 28 {
        affine.for %j = 1 to 30 {
          %v = affine.load %next[%i, %j] : memref<29x31xf64>
          affine.store %v, %u[%i, %j] : memref<29x31xf64>
        }
      }
    }
    return
  }
}
