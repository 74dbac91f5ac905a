// Written by an older MLIR (older Polygeist): DLTI entries as i32 vectors, `func` before the
// func dialect, arith.maxf / arith.minf before their rename. B = min(max(A, 0), C).
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">, #dlti.dl_entry<i64, dense<64> : vector<2xi32>>, #dlti.dl_entry<f64, dense<64> : vector<2xi32>>>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func @kernel_clamp(%arg0: memref<6x9xf64>, %arg1: memref<6x9xf64>, %arg2: memref<6x9xf64>) {
    %cst = arith.constant 0.000000e+00 : f64
    affine.for %arg3 = 0 to 6 {
      affine.for %arg4 = 0 to 9 {
        %0 = affine.load %arg0[%arg3, %arg4] : memref<6x9xf64>
        %1 = arith.maxf %0, %cst : f64
        %2 = affine.load %arg2[%arg3, %arg4] : memref<6x9xf64>
        %3 = arith.minf %1, %2 : f64
        affine.store %3, %arg1[%arg3, %arg4] : memref<6x9xf64>
      }
    }
    return
  }
}
