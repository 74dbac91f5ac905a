// out = a >= t ? 1 : 0 (binary threshold at a scalar t) on a 5x6 float image in [0,1).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_threshold(%arg0: memref<5x6xf32>, %arg1: f32, %arg2: memref<5x6xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    %cst_0 = arith.constant 0.000000e+00 : f32
    affine.for %arg3 = 0 to 5 {
      affine.for %arg4 = 0 to 6 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<5x6xf32>
        %1 = arith.cmpf oge, %0, %arg1 : f32
        %2 = arith.select %1, %cst, %cst_0 : f32
        affine.store %2, %arg2[%arg3, %arg4] : memref<5x6xf32>
      }
    }
    return
  }
}
