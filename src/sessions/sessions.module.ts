import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SessionClaim, SessionClaimSchema } from './schemas/session-claim.schema';
import { Session, SessionSchema } from './schemas/session.schema';
import { UserSessions, UserSessionsSchema } from './schemas/user-sessions.schema';
import { SessionsService } from './sessions.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Session.name, schema: SessionSchema },
      { name: SessionClaim.name, schema: SessionClaimSchema },
      { name: UserSessions.name, schema: UserSessionsSchema },
    ]),
  ],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
