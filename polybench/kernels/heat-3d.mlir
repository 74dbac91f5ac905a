// PolyBench 4.2.1 heat-3d (stencils): 3-D heat equation, B := step(A), A := step(B) for t = 1..TSTEPS, LARGE dataset (TSTEPS=500, N=120).
module {
  func.func @kernel_heat_3d(%arg0: i32, %arg1: i32, %arg2: memref<120x120x120xf64>, %arg3: memref<120x120x120xf64>) {
    %cst = arith.constant 1.250000e-01 : f64
    %cst_0 = arith.constant 2.000000e+00 : f64
    affine.for %arg4 = 1 to 501 {
      affine.for %arg5 = 1 to 119 {
        affine.for %arg6 = 1 to 119 {
          affine.for %arg7 = 1 to 119 {
            %0 = affine.load %arg2[%arg5 + 1, %arg6, %arg7] : memref<120x120x120xf64>
            %1 = affine.load %arg2[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %2 = arith.mulf %cst_0, %1 : f64
            %3 = arith.subf %0, %2 : f64
            %4 = affine.load %arg2[%arg5 - 1, %arg6, %arg7] : memref<120x120x120xf64>
            %5 = arith.addf %3, %4 : f64
            %6 = arith.mulf %cst, %5 : f64
            %7 = affine.load %arg2[%arg5, %arg6 + 1, %arg7] : memref<120x120x120xf64>
            %8 = affine.load %arg2[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %9 = arith.mulf %cst_0, %8 : f64
            %10 = arith.subf %7, %9 : f64
            %11 = affine.load %arg2[%arg5, %arg6 - 1, %arg7] : memref<120x120x120xf64>
            %12 = arith.addf %10, %11 : f64
            %13 = arith.mulf %cst, %12 : f64
            %14 = affine.load %arg2[%arg5, %arg6, %arg7 + 1] : memref<120x120x120xf64>
            %15 = affine.load %arg2[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %16 = arith.mulf %cst_0, %15 : f64
            %17 = arith.subf %14, %16 : f64
            %18 = affine.load %arg2[%arg5, %arg6, %arg7 - 1] : memref<120x120x120xf64>
            %19 = arith.addf %17, %18 : f64
            %20 = arith.mulf %cst, %19 : f64
            %21 = arith.addf %6, %13 : f64
            %22 = arith.addf %21, %20 : f64
            %23 = affine.load %arg2[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %24 = arith.addf %22, %23 : f64
            affine.store %24, %arg3[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
          }
        }
      }
      affine.for %arg5 = 1 to 119 {
        affine.for %arg6 = 1 to 119 {
          affine.for %arg7 = 1 to 119 {
            %0 = affine.load %arg3[%arg5 + 1, %arg6, %arg7] : memref<120x120x120xf64>
            %1 = affine.load %arg3[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %2 = arith.mulf %cst_0, %1 : f64
            %3 = arith.subf %0, %2 : f64
            %4 = affine.load %arg3[%arg5 - 1, %arg6, %arg7] : memref<120x120x120xf64>
            %5 = arith.addf %3, %4 : f64
            %6 = arith.mulf %cst, %5 : f64
            %7 = affine.load %arg3[%arg5, %arg6 + 1, %arg7] : memref<120x120x120xf64>
            %8 = affine.load %arg3[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %9 = arith.mulf %cst_0, %8 : f64
            %10 = arith.subf %7, %9 : f64
            %11 = affine.load %arg3[%arg5, %arg6 - 1, %arg7] : memref<120x120x120xf64>
            %12 = arith.addf %10, %11 : f64
            %13 = arith.mulf %cst, %12 : f64
            %14 = affine.load %arg3[%arg5, %arg6, %arg7 + 1] : memref<120x120x120xf64>
            %15 = affine.load %arg3[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %16 = arith.mulf %cst_0, %15 : f64
            %17 = arith.subf %14, %16 : f64
            %18 = affine.load %arg3[%arg5, %arg6, %arg7 - 1] : memref<120x120x120xf64>
            %19 = arith.addf %17, %18 : f64
            %20 = arith.mulf %cst, %19 : f64
            %21 = arith.addf %6, %13 : f64
            %22 = arith.addf %21, %20 : f64
            %23 = affine.load %arg3[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
            %24 = arith.addf %22, %23 : f64
            affine.store %24, %arg2[%arg5, %arg6, %arg7] : memref<120x120x120xf64>
          }
        }
      }
    }
    return
  }
}
