// y[i] = x[i] * w[i] for 7 float samples (applying a window, w given).
module {
  func.func @f_window(%arg0: memref<7xf32>, %arg1: memref<7xf32>, %arg2: memref<7xf32>) {
    affine.for %arg3 = 0 to 7 {
      %0 = affine.load %arg0[%arg3] : memref<7xf32>
      %1 = affine.load %arg1[%arg3] : memref<7xf32>
      %2 = arith.mulf %0, %1 : f32
      affine.store %2, %arg2[%arg3] : memref<7xf32>
    }
    return
  }
}
