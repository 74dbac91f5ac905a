// y[i] = a * x[i] + y[i] for i < 32 (BLAS saxpy, single precision); the i32 length argument
// n is unused, the loop bound is static.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_saxpy(%arg0: i32, %arg1: f32, %arg2: memref<32xf32>, %arg3: memref<32xf32>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0_i32 = arith.constant 0 : i32
    %c1_i32 = arith.constant 1 : i32
    affine.for %arg4 = 0 to 32 {
      %0 = affine.load %arg2[%arg4] : memref<32xf32>
      %1 = arith.mulf %arg1, %0 : f32
      %2 = affine.load %arg3[%arg4] : memref<32xf32>
      %3 = arith.addf %2, %1 : f32
      affine.store %3, %arg3[%arg4] : memref<32xf32>
    }
    return
  }
}
