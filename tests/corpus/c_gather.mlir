// y[i] = w[i] * x[idx[i]] (indirect indexing: a gather through an i32 index array);
// static f64, y, w, idx of 6, x of 13. Not raisable by design: the load address is data.
module {
  func.func @c_gather(%arg0: memref<6xi32>, %arg1: memref<13xf64>, %arg2: memref<6xf64>, %arg3: memref<6xf64>) {
    affine.for %arg4 = 0 to 6 {
      %0 = affine.load %arg0[%arg4] : memref<6xi32>
      %1 = arith.index_cast %0 : i32 to index
      %2 = memref.load %arg1[%1] : memref<13xf64>
      %3 = affine.load %arg2[%arg4] : memref<6xf64>
      %4 = arith.mulf %3, %2 : f64
      affine.store %4, %arg3[%arg4] : memref<6xf64>
    }
    return
  }
}
