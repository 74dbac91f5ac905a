// y[i] = a * x[i] + b * y[i] for i < 13 (axpby, single precision).
module {
  func.func @f_saxpby(%arg0: memref<13xf32>, %arg1: memref<13xf32>, %arg2: f32, %arg3: f32) {
    affine.for %arg4 = 0 to 13 {
      %0 = affine.load %arg0[%arg4] : memref<13xf32>
      %1 = arith.mulf %arg2, %0 : f32
      %2 = affine.load %arg1[%arg4] : memref<13xf32>
      %3 = arith.mulf %arg3, %2 : f32
      %4 = arith.addf %1, %3 : f32
      affine.store %4, %arg1[%arg4] : memref<13xf32>
    }
    return
  }
}
