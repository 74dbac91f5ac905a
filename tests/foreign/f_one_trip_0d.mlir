// y = 2 x - 1 on 0-d float memrefs, inside a one-trip loop (a scalar C statement).
module {
  func.func @f_one_trip_0d(%arg0: memref<f32>, %arg1: memref<f32>) {
    %cst = arith.constant 2.000000e+00 : f32
    %cst_0 = arith.constant 1.000000e+00 : f32
    affine.for %arg2 = 0 to 1 {
      %0 = affine.load %arg0[] : memref<f32>
      %1 = arith.mulf %0, %cst : f32
      %2 = arith.subf %1, %cst_0 : f32
      affine.store %2, %arg1[] : memref<f32>
    }
    return
  }
}
