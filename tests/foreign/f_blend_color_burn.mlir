// out = max(1 - (1 - a) / b, 0) (color burn, a division by data; b >= 0.1) on 6x6 float images.
module {
  func.func @f_blend_color_burn(%arg0: memref<6x6xf32>, %arg1: memref<6x6xf32>, %arg2: memref<6x6xf32>) {
    %cst = arith.constant 1.000000e+00 : f32
    %cst_0 = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 6 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<6x6xf32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<6x6xf32>
        %2 = arith.subf %cst, %0 : f32
        %3 = arith.divf %2, %1 : f32
        %4 = arith.subf %cst, %3 : f32
        %5 = arith.cmpf olt, %4, %cst_0 : f32
        %6 = arith.select %5, %cst_0, %4 : f32
        affine.store %6, %arg2[%arg3, %arg4] : memref<6x6xf32>
      }
    }
    return
  }
}
