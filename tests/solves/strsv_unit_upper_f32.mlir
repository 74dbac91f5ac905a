module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @strsv_unit_upper(%arg0: memref<5x5xf32>, %arg1: memref<5xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 1.000000e+00 : f32
    affine.for %arg2 = 0 to 5 {
      affine.for %arg3 = affine_map<(d0) -> (-d0 + 5)>(%arg2) to 5 {
        %0 = affine.load %arg0[-%arg2 + 4, %arg3] : memref<5x5xf32>
        %1 = affine.load %arg1[%arg3] : memref<5xf32>
        %2 = arith.mulf %0, %1 : f32
        %3 = affine.load %arg1[-%arg2 + 4] : memref<5xf32>
        %4 = arith.subf %3, %2 : f32
        affine.store %4, %arg1[-%arg2 + 4] : memref<5xf32>
      }
    }
    return
  }
}
