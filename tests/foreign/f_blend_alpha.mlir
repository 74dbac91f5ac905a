// out = alpha a + (1 - alpha) b (alpha blend with a scalar alpha) on 6x5 double images.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_blend_alpha(%arg0: memref<6x5xf64>, %arg1: memref<6x5xf64>, %arg2: f64, %arg3: memref<6x5xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f64
    %0 = arith.subf %cst, %arg2 : f64
    affine.for %arg4 = 0 to 6 {
      affine.for %arg5 = 0 to 5 {
        %1 = affine.load %arg0[%arg4, %arg5] : memref<6x5xf64>
        %2 = arith.mulf %1, %arg2 : f64
        %3 = affine.load %arg1[%arg4, %arg5] : memref<6x5xf64>
        %4 = arith.mulf %3, %0 : f64
        %5 = arith.addf %2, %4 : f64
        affine.store %5, %arg3[%arg4, %arg5] : memref<6x5xf64>
      }
    }
    return
  }
}
