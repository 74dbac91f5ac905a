// y[i] = x[i] for i < 5 (BLAS dcopy).
module {
  func.func @f_dcopy(%arg0: memref<5xf64>, %arg1: memref<5xf64>) {
    affine.for %arg2 = 0 to 5 {
      %0 = affine.load %arg0[%arg2] : memref<5xf64>
      affine.store %0, %arg1[%arg2] : memref<5xf64>
    }
    return
  }
}
