// out = min(a, b) (darken blend) on 3x4 double images.
module {
  func.func @f_blend_darken(%arg0: memref<3x4xf64>, %arg1: memref<3x4xf64>, %arg2: memref<3x4xf64>) {
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 4 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<3x4xf64>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<3x4xf64>
        %2 = arith.minimumf %0, %1 : f64
        affine.store %2, %arg2[%arg3, %arg4] : memref<3x4xf64>
      }
    }
    return
  }
}
