// out = 1 - (1 - a)(1 - b) (screen blend) on 5x5 double images, in place into b.
module {
  func.func @f_blend_screen(%arg0: memref<5x5xf64>, %arg1: memref<5x5xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f64
    affine.for %arg2 = 0 to 5 {
      affine.for %arg3 = 0 to 5 {
        %0 = affine.load %arg0[%arg2, %arg3] : memref<5x5xf64>
        %1 = arith.subf %cst, %0 : f64
        %2 = affine.load %arg1[%arg2, %arg3] : memref<5x5xf64>
        %3 = arith.subf %cst, %2 : f64
        %4 = arith.mulf %1, %3 : f64
        %5 = arith.subf %cst, %4 : f64
        affine.store %5, %arg1[%arg2, %arg3] : memref<5x5xf64>
      }
    }
    return
  }
}
