// PolyBench 4.2.1 ludcmp (solvers): A := L*U in place, then solve L*y = b and U*x = y, LARGE dataset (N=2000).
#map = affine_map<(d0) -> (d0)>
#map1 = affine_map<(d0) -> (-d0 + 2000)>
module {
  func.func @kernel_ludcmp(%arg0: i32, %arg1: memref<2000x2000xf64>, %arg2: memref<2000xf64>, %arg3: memref<2000xf64>, %arg4: memref<2000xf64>) {
    affine.for %arg5 = 0 to 2000 {
      affine.for %arg6 = 0 to #map(%arg5) {
        %0 = affine.load %arg1[%arg5, %arg6] : memref<2000x2000xf64>
        %1 = affine.for %arg7 = 0 to #map(%arg6) iter_args(%arg8 = %0) -> (f64) {
          %4 = affine.load %arg1[%arg5, %arg7] : memref<2000x2000xf64>
          %5 = affine.load %arg1[%arg7, %arg6] : memref<2000x2000xf64>
          %6 = arith.mulf %4, %5 : f64
          %7 = arith.subf %arg8, %6 : f64
          affine.yield %7 : f64
        }
        %2 = affine.load %arg1[%arg6, %arg6] : memref<2000x2000xf64>
        %3 = arith.divf %1, %2 : f64
        affine.store %3, %arg1[%arg5, %arg6] : memref<2000x2000xf64>
      }
      affine.for %arg6 = #map(%arg5) to 2000 {
        %0 = affine.load %arg1[%arg5, %arg6] : memref<2000x2000xf64>
        %1 = affine.for %arg7 = 0 to #map(%arg5) iter_args(%arg8 = %0) -> (f64) {
          %2 = affine.load %arg1[%arg5, %arg7] : memref<2000x2000xf64>
          %3 = affine.load %arg1[%arg7, %arg6] : memref<2000x2000xf64>
          %4 = arith.mulf %2, %3 : f64
          %5 = arith.subf %arg8, %4 : f64
          affine.yield %5 : f64
        }
        affine.store %1, %arg1[%arg5, %arg6] : memref<2000x2000xf64>
      }
    }
    affine.for %arg5 = 0 to 2000 {
      %0 = affine.load %arg2[%arg5] : memref<2000xf64>
      %1 = affine.for %arg6 = 0 to #map(%arg5) iter_args(%arg7 = %0) -> (f64) {
        %2 = affine.load %arg1[%arg5, %arg6] : memref<2000x2000xf64>
        %3 = affine.load %arg4[%arg6] : memref<2000xf64>
        %4 = arith.mulf %2, %3 : f64
        %5 = arith.subf %arg7, %4 : f64
        affine.yield %5 : f64
      }
      affine.store %1, %arg4[%arg5] : memref<2000xf64>
    }
    affine.for %arg5 = 0 to 2000 {
      %0 = affine.load %arg4[-%arg5 + 1999] : memref<2000xf64>
      %1 = affine.for %arg6 = #map1(%arg5) to 2000 iter_args(%arg7 = %0) -> (f64) {
        %4 = affine.load %arg1[-%arg5 + 1999, %arg6] : memref<2000x2000xf64>
        %5 = affine.load %arg3[%arg6] : memref<2000xf64>
        %6 = arith.mulf %4, %5 : f64
        %7 = arith.subf %arg7, %6 : f64
        affine.yield %7 : f64
      }
      %2 = affine.load %arg1[-%arg5 + 1999, -%arg5 + 1999] : memref<2000x2000xf64>
      %3 = arith.divf %1, %2 : f64
      affine.store %3, %arg3[-%arg5 + 1999] : memref<2000xf64>
    }
    return
  }
}
