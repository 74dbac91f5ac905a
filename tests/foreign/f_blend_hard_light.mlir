// out = b < 0.5 ? 2ab : 1 - 2(1 - a)(1 - b) (hard light: overlay keyed on the top layer b) on
// 4x4 float images in [0,1).
module {
  func.func @f_blend_hard_light(%arg0: memref<4x4xf32>, %arg1: memref<4x4xf32>, %arg2: memref<4x4xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 5.000000e-01 : f32
    %cst_0 = arith.constant 2.000000e+00 : f32
    %cst_1 = arith.constant 1.000000e+00 : f32
    affine.for %arg3 = 0 to 4 {
      affine.for %arg4 = 0 to 4 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<4x4xf32>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<4x4xf32>
        %2 = arith.cmpf olt, %1, %cst : f32
        %3 = arith.mulf %cst_0, %0 : f32
        %4 = arith.mulf %3, %1 : f32
        %5 = arith.subf %cst_1, %0 : f32
        %6 = arith.subf %cst_1, %1 : f32
        %7 = arith.mulf %cst_0, %5 : f32
        %8 = arith.mulf %7, %6 : f32
        %9 = arith.subf %cst_1, %8 : f32
        %10 = arith.select %2, %4, %9 : f32
        affine.store %10, %arg2[%arg3, %arg4] : memref<4x4xf32>
      }
    }
    return
  }
}
