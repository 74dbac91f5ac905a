// y = alpha * A x + beta * y (BLAS dgemv, no transpose); A is 6x7, row-major, in two nests:
// y scaled by beta first, then A x accumulated into it with alpha.
module attributes {dlti.dl_spec = #dlti.dl_spec<#dlti.dl_entry<"dlti.endianness", "little">>, llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_dgemv(%arg0: i32, %arg1: i32, %arg2: f64, %arg3: memref<6x7xf64>, %arg4: memref<7xf64>, %arg5: f64, %arg6: memref<6xf64>) attributes {llvm.linkage = #llvm.linkage<external>} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    affine.for %arg7 = 0 to 6 {
      %0 = affine.load %arg6[%arg7] : memref<6xf64>
      %1 = arith.mulf %arg5, %0 : f64
      affine.store %1, %arg6[%arg7] : memref<6xf64>
    }
    affine.for %arg7 = 0 to 6 {
      affine.for %arg8 = 0 to 7 {
        %0 = affine.load %arg3[%arg7, %arg8] : memref<6x7xf64>
        %1 = arith.mulf %arg2, %0 : f64
        %2 = affine.load %arg4[%arg8] : memref<7xf64>
        %3 = arith.mulf %1, %2 : f64
        %4 = affine.load %arg6[%arg7] : memref<6xf64>
        %5 = arith.addf %4, %3 : f64
        affine.store %5, %arg6[%arg7] : memref<6xf64>
      }
    }
    return
  }
}
