// returns a[0] b[0] + a[1] b[1] + a[2] b[2] (dot of double vec3s, written out in straight-line
// C, no loop), as f64.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_vec3_dot(%arg0: memref<3xf64>, %arg1: memref<3xf64>) -> f64 attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = affine.load %arg0[0] : memref<3xf64>
    %1 = affine.load %arg1[0] : memref<3xf64>
    %2 = arith.mulf %0, %1 : f64
    %3 = affine.load %arg0[1] : memref<3xf64>
    %4 = affine.load %arg1[1] : memref<3xf64>
    %5 = arith.mulf %3, %4 : f64
    %6 = arith.addf %2, %5 : f64
    %7 = affine.load %arg0[2] : memref<3xf64>
    %8 = affine.load %arg1[2] : memref<3xf64>
    %9 = arith.mulf %7, %8 : f64
    %10 = arith.addf %6, %9 : f64
    return %10 : f64
  }
}
