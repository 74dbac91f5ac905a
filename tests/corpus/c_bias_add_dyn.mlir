// B[i][j] = A[i][j] + v[j] (broadcast add of a row vector); dynamic n x m f64, extents from
// index arguments used as loop bounds.
module {
  func.func @c_bias_add_dyn(%arg0: index, %arg1: index, %arg2: memref<?x?xf64>, %arg3: memref<?xf64>, %arg4: memref<?x?xf64>) {
    affine.for %arg5 = 0 to %arg0 {
      affine.for %arg6 = 0 to %arg1 {
        %0 = affine.load %arg2[%arg5, %arg6] : memref<?x?xf64>
        %1 = affine.load %arg3[%arg6] : memref<?xf64>
        %2 = arith.addf %0, %1 : f64
        affine.store %2, %arg4[%arg5, %arg6] : memref<?x?xf64>
      }
    }
    return
  }
}
