import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DemoAccounts } from './demo-accounts';
import { PasswordHasher } from './password-hasher';
import { Identity, IdentitySchema } from './schemas/identity.schema';
import { User, UserSchema } from './schemas/user.schema';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: Identity.name, schema: IdentitySchema },
    ]),
  ],
  providers: [UsersService, PasswordHasher, DemoAccounts],
  exports: [UsersService, DemoAccounts],
})
export class UsersModule {}
