// xout[i] = sum_j w[i][j] x[j] for w 6x7 float (llama2.c matmul, W (d,n) @ x (n,) -> (d,));
// n and d i32 arguments unused, val a local carried in iter_args.
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {
  func.func @f_matmul_wx(%arg0: memref<6xf32>, %arg1: memref<7xf32>, %arg2: memref<6x7xf32>, %arg3: i32, %arg4: i32) attributes {llvm.linkage = #llvm.linkage<external>} {
    %cst = arith.constant 0.000000e+00 : f32
    affine.for %arg5 = 0 to 6 {
      %0 = affine.for %arg6 = 0 to 7 iter_args(%arg7 = %cst) -> (f32) {
        %1 = affine.load %arg2[%arg5, %arg6] : memref<6x7xf32>
        %2 = affine.load %arg1[%arg6] : memref<7xf32>
        %3 = arith.mulf %1, %2 : f32
        %4 = arith.addf %arg7, %3 : f32
        affine.yield %4 : f32
      }
      affine.store %0, %arg0[%arg5] : memref<6xf32>
    }
    return
  }
}
