// Polygeist-style output: module attributes (DLTI, data layout, target triple), llvm.linkage,
// i32 size arguments, a first extent left dynamic (as Polygeist prints C arrays) next to a
// static copy of the same computation. y = A x + y.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">, #dlti.dl_entry<i64, dense<64> : vector<2xi64>>, #dlti.dl_entry<f80, dense<128> : vector<2xi64>>, #dlti.dl_entry<i1, dense<8> : vector<2xi64>>, #dlti.dl_entry<i8, dense<8> : vector<2xi64>>, #dlti.dl_entry<i16, dense<16> : vector<2xi64>>, #dlti.dl_entry<i32, dense<32> : vector<2xi64>>, #dlti.dl_entry<f16, dense<16> : vector<2xi64>>, #dlti.dl_entry<f64, dense<64> : vector<2xi64>>, #dlti.dl_entry<f128, dense<128> : vector<2xi64>>>, llvm.data_layout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128", llvm.target_triple = "x86_64-unknown-linux-gnu", "polygeist.target-cpu" = "x86-64", "polygeist.target-features" = "+cx8,+fxsr,+mmx,+sse,+sse2,+x87", "polygeist.tune-cpu" = "generic"} {
  func.func @kernel_static(%arg0: i32, %arg1: i32, %arg2: memref<40x50xf64>, %arg3: memref<50xf64>, %arg4: memref<40xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    affine.for %arg5 = 0 to 40 {
      affine.for %arg6 = 0 to 50 {
        %0 = affine.load %arg2[%arg5, %arg6] : memref<40x50xf64>
        %1 = affine.load %arg3[%arg6] : memref<50xf64>
        %2 = arith.mulf %0, %1 : f64
        %3 = affine.load %arg4[%arg5] : memref<40xf64>
        %4 = arith.addf %3, %2 : f64
        affine.store %4, %arg4[%arg5] : memref<40xf64>
      }
    }
    return
  }
  func.func @kernel_polygeist(%arg0: i32, %arg1: i32, %arg2: memref<?x50xf64>, %arg3: memref<?xf64>, %arg4: memref<?xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %0 = arith.index_cast %arg0 : i32 to index
    %1 = arith.index_cast %arg1 : i32 to index
    affine.for %arg5 = 0 to %0 {
      affine.for %arg6 = 0 to %1 {
        %2 = affine.load %arg2[%arg5, %arg6] : memref<?x50xf64>
        %3 = affine.load %arg3[%arg6] : memref<?xf64>
        %4 = arith.mulf %2, %3 : f64
        %5 = affine.load %arg4[%arg5] : memref<?xf64>
        %6 = arith.addf %5, %4 : f64
        affine.store %6, %arg4[%arg5] : memref<?xf64>
      }
    }
    return
  }
}
