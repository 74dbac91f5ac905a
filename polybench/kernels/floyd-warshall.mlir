// PolyBench 4.2.1 floyd-warshall (medley): all-pairs shortest paths, path[i][j] := min(path[i][j], path[i][k] + path[k][j]), LARGE dataset (N=2800).
module {
  func.func @kernel_floyd_warshall(%arg0: i32, %arg1: memref<2800x2800xi32>) {
    affine.for %arg2 = 0 to 2800 {
      affine.for %arg3 = 0 to 2800 {
        affine.for %arg4 = 0 to 2800 {
          %0 = affine.load %arg1[%arg3, %arg4] : memref<2800x2800xi32>
          %1 = affine.load %arg1[%arg3, %arg2] : memref<2800x2800xi32>
          %2 = affine.load %arg1[%arg2, %arg4] : memref<2800x2800xi32>
          %3 = arith.addi %1, %2 : i32
          %4 = arith.cmpi slt, %0, %3 : i32
          %5 = affine.load %arg1[%arg3, %arg4] : memref<2800x2800xi32>
          %6 = affine.load %arg1[%arg3, %arg2] : memref<2800x2800xi32>
          %7 = affine.load %arg1[%arg2, %arg4] : memref<2800x2800xi32>
          %8 = arith.addi %6, %7 : i32
          %9 = arith.select %4, %5, %8 : i32
          affine.store %9, %arg1[%arg3, %arg4] : memref<2800x2800xi32>
        }
      }
    }
    return
  }
}
