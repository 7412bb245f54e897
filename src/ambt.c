#include <stdio.h>
int main(void){puts("ambt: under construction");return 0;}
