// m[i] = max_j A[i][j] (row maximum, seeded with the row's first element and carried in
// iter_args over j = 1 .. 10); static 8x11 f64.
module {
  func.func @c_row_max(%arg0: memref<8x11xf64>, %arg1: memref<8xf64>) {
    affine.for %arg2 = 0 to 8 {
      %0 = affine.load %arg0[%arg2, 0] : memref<8x11xf64>
      %1 = affine.for %arg3 = 1 to 11 iter_args(%arg4 = %0) -> (f64) {
        %2 = affine.load %arg0[%arg2, %arg3] : memref<8x11xf64>
        %3 = arith.maximumf %arg4, %2 : f64
        affine.yield %3 : f64
      }
      affine.store %1, %arg1[%arg2] : memref<8xf64>
    }
    return
  }
}
