// PolyBench 4.2.1 cholesky (solvers): A := L with L*L^T = A (lower triangle, in place), LARGE dataset (N=2000).
#map = affine_map<(d0) -> (d0)>
module {
  func.func @kernel_cholesky(%arg0: i32, %arg1: memref<2000x2000xf64>) {
    affine.for %arg2 = 0 to 2000 {
      affine.for %arg3 = 0 to #map(%arg2) {
        affine.for %arg4 = 0 to #map(%arg3) {
          %5 = affine.load %arg1[%arg2, %arg4] : memref<2000x2000xf64>
          %6 = affine.load %arg1[%arg3, %arg4] : memref<2000x2000xf64>
          %7 = arith.mulf %5, %6 : f64
          %8 = affine.load %arg1[%arg2, %arg3] : memref<2000x2000xf64>
          %9 = arith.subf %8, %7 : f64
          affine.store %9, %arg1[%arg2, %arg3] : memref<2000x2000xf64>
        }
        %2 = affine.load %arg1[%arg3, %arg3] : memref<2000x2000xf64>
        %3 = affine.load %arg1[%arg2, %arg3] : memref<2000x2000xf64>
        %4 = arith.divf %3, %2 : f64
        affine.store %4, %arg1[%arg2, %arg3] : memref<2000x2000xf64>
      }
      affine.for %arg3 = 0 to #map(%arg2) {
        %2 = affine.load %arg1[%arg2, %arg3] : memref<2000x2000xf64>
        %3 = affine.load %arg1[%arg2, %arg3] : memref<2000x2000xf64>
        %4 = arith.mulf %2, %3 : f64
        %5 = affine.load %arg1[%arg2, %arg2] : memref<2000x2000xf64>
        %6 = arith.subf %5, %4 : f64
        affine.store %6, %arg1[%arg2, %arg2] : memref<2000x2000xf64>
      }
      %0 = affine.load %arg1[%arg2, %arg2] : memref<2000x2000xf64>
      %1 = math.sqrt %0 : f64
      affine.store %1, %arg1[%arg2, %arg2] : memref<2000x2000xf64>
    }
    return
  }
}
