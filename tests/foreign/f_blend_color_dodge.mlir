// out = min(a / (1 - b), 1) (color dodge, a division by data; b < 0.9) on 3x7 double images.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_blend_color_dodge(%arg0: memref<3x7xf64>, %arg1: memref<3x7xf64>, %arg2: memref<3x7xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f64
    affine.for %arg3 = 0 to 3 {
      affine.for %arg4 = 0 to 7 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<3x7xf64>
        %1 = affine.load %arg1[%arg3, %arg4] : memref<3x7xf64>
        %2 = arith.subf %cst, %1 : f64
        %3 = arith.divf %0, %2 : f64
        %4 = arith.minimumf %3, %cst : f64
        affine.store %4, %arg2[%arg3, %arg4] : memref<3x7xf64>
      }
    }
    return
  }
}
