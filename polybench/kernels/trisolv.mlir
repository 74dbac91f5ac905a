// PolyBench 4.2.1 trisolv (solvers): x := solution of L*x = b by forward substitution, LARGE dataset (N=2000).
#map = affine_map<(d0) -> (d0)>
module {
  func.func @kernel_trisolv(%arg0: i32, %arg1: memref<2000x2000xf64>, %arg2: memref<2000xf64>, %arg3: memref<2000xf64>) {
    affine.for %arg4 = 0 to 2000 {
      %0 = affine.load %arg3[%arg4] : memref<2000xf64>
      affine.store %0, %arg2[%arg4] : memref<2000xf64>
      affine.for %arg5 = 0 to #map(%arg4) {
        %4 = affine.load %arg1[%arg4, %arg5] : memref<2000x2000xf64>
        %5 = affine.load %arg2[%arg5] : memref<2000xf64>
        %6 = arith.mulf %4, %5 : f64
        %7 = affine.load %arg2[%arg4] : memref<2000xf64>
        %8 = arith.subf %7, %6 : f64
        affine.store %8, %arg2[%arg4] : memref<2000xf64>
      }
      %1 = affine.load %arg2[%arg4] : memref<2000xf64>
      %2 = affine.load %arg1[%arg4, %arg4] : memref<2000x2000xf64>
      %3 = arith.divf %1, %2 : f64
      affine.store %3, %arg2[%arg4] : memref<2000xf64>
    }
    return
  }
}
